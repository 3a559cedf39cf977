// Saving what the app made (exports, reports) as a file through the browser's download, the same in Electron.
export function downloadText(fileName: string, text: string, type: string): void {
  save(fileName, new Blob([text], { type }));
}

function save(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file the main process made, as it came over the contract: text, or base64 for binary formats such as PDF. */
export function downloadFile(file: { fileName: string; mediaType: string; encoding: 'utf8' | 'base64'; data: string }) {
  if (file.encoding === 'utf8') return downloadText(file.fileName, file.data, file.mediaType);
  const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
  save(file.fileName, new Blob([bytes], { type: file.mediaType }));
}
