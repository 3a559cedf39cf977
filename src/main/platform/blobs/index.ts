// What the rest of main may use from platform/blobs.
export { BlobStore, type BlobSource, type Blobs, type PutOptions } from './blob-store';
