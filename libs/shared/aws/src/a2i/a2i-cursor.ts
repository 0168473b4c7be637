import { RelabelError } from '@relabel/contracts';

/** A list position: A2I's NextToken plus the window it belongs to (a token is only valid with the same query). */
export interface ListCursor {
  after: string;
  token?: string;
}

export const encodeCursor = (c: ListCursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(cursor: string): ListCursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as ListCursor;
    if (typeof c.after === 'string' && !Number.isNaN(Date.parse(c.after)) && (c.token === undefined || typeof c.token === 'string')) return c;
  } catch {
    // falls through to the coded error
  }
  throw new RelabelError('REQUEST_INVALID', 'the list cursor is not valid');
}
