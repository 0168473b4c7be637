/** Metadata of a stored object. `eTag` is the MD5 of the content (hex, no quotes) for simple puts. */
export interface ObjectInfo {
  key: string;
  size: number;
  eTag: string;
  lastModified: Date;
}

export interface StoredObject extends ObjectInfo {
  body: Buffer;
}

export interface ListPage {
  items: ObjectInfo[];
  /** Pass back to get the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * The object store (S3 / a local folder). Keys are `/`-separated relative paths; invalid keys
 * (`..`, absolute, NUL, backslash) are refused with STORE_INVALID_KEY. Missing objects raise
 * STORE_NOT_FOUND from `get`/`copy`; `head` answers null instead.
 */
export interface ObjectStore {
  /** Bucket name reported in ObjectCreated events. */
  readonly bucket: string;
  /** Atomic: a reader sees the old object or the whole new one, never half of it. */
  put(key: string, body: Buffer, options?: { contentType?: string }): Promise<{ eTag: string }>;
  get(key: string): Promise<StoredObject>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Objects whose key starts with `prefix`, in key order, `limit` (default 1000) per page. */
  list(prefix: string, options?: { cursor?: string; limit?: number }): Promise<ListPage>;
  copy(sourceKey: string, destinationKey: string): Promise<{ eTag: string }>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Every object under a prefix, following pagination. */
export async function* listAllObjects(store: Pick<ObjectStore, 'list'>, prefix: string, pageSize = 1000): AsyncGenerator<ObjectInfo> {
  let cursor: string | undefined;
  do {
    const page = await store.list(prefix, { cursor, limit: pageSize });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}
