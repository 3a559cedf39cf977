// App-level facts and desktop affordances (the native folder picker exists only in the desktop shell).
import type { CallContext, ServiceImpl } from '../../../shared/contract/define';
import type { appContract, AppInfo } from '../../../shared/contract/app';

/** Opens a native folder dialog; null when the user cancels. Provided by the desktop shell only. */
export type FolderPicker = (title: string) => Promise<string | null>;

export interface AppServiceOptions {
  version: string;
  shell: AppInfo['shell'];
  platform: string;
  defaultWorkspaceParent: string;
  folderPicker?: FolderPicker;
}

export class AppService implements ServiceImpl<typeof appContract> {
  constructor(private readonly options: AppServiceOptions) {}

  async info(_arg: Record<string, never>, _ctx: CallContext): Promise<AppInfo> {
    return {
      name: 'Dovetail',
      version: this.options.version,
      shell: this.options.shell,
      platform: this.options.platform,
      defaultWorkspaceParent: this.options.defaultWorkspaceParent,
      canPickFolder: this.options.folderPicker !== undefined,
    };
  }

  async pickFolder(arg: { title?: string | undefined }): Promise<string | null> {
    if (!this.options.folderPicker) return null;
    return this.options.folderPicker(arg.title ?? 'Choose a folder');
  }
}
