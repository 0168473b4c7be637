import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { RelabelError, isRelabelError } from '@relabel/contracts';
import { installErrorHandler } from '@relabel/platform';

// `image/jpg` is not registered but common in the wild; the bytes decide the format anyway.
const RAW_TYPES = ['image/jpeg', 'image/png', 'image/jpg'];

/** Room for the multipart envelope around an image at the size limit. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** The largest POST /detect body: an image at the limit plus its multipart envelope. */
export function uploadBodyLimit(maxImageBytes: number): number {
  return maxImageBytes + MULTIPART_OVERHEAD;
}

function tooLarge(size: number | string, limit: number): RelabelError {
  return new RelabelError('IMAGE_TOO_LARGE', `the image is ${size} bytes; the limit is ${limit}`, { limit });
}

/**
 * The body parsers of POST /detect, registered in its own encapsulated scope: raw JPEG/PNG bodies are
 * collected up to the limit (a declared Content-Length over it is refused before reading a byte),
 * multipart goes to @fastify/multipart with the same file limit, and every other Content-Type is
 * refused with IMAGE_UNSUPPORTED_TYPE instead of being parsed.
 */
export async function installImageBodyParsers(app: FastifyInstance, maxBytes: number): Promise<void> {
  // A body Fastify itself refuses in this scope is an image upload refused: say so with the image codes.
  installErrorHandler(app, { codeByStatus: { 413: 'IMAGE_TOO_LARGE', 415: 'IMAGE_UNSUPPORTED_TYPE' } });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(RAW_TYPES, (request, payload, done) => {
    const declared = Number(request.headers['content-length']);
    if (declared > maxBytes) return done(tooLarge(declared, maxBytes), undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (err: Error | null, body?: Buffer) => {
      if (finished) return;
      finished = true;
      done(err, body);
    };
    payload.on('data', (chunk: Buffer) => {
      if (finished) return;
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        // Drain (not buffer) the rest so the client still reads our answer.
        return finish(tooLarge(`more than ${maxBytes}`, maxBytes));
      }
      chunks.push(chunk);
    });
    payload.on('end', () => finish(null, Buffer.concat(chunks, size)));
    payload.on('error', (err) => finish(err));
  });
  await app.register(multipart, {
    limits: { fileSize: maxBytes, files: 3, fields: 20, fieldSize: 64 * 1024, parts: 25, headerPairs: 100 },
    throwFileSizeLimit: true,
  });
  app.addContentTypeParser('*', (request, _payload, done) => {
    const type = request.headers['content-type'];
    done(
      new RelabelError(
        'IMAGE_UNSUPPORTED_TYPE',
        `${type ? `Content-Type ${type.split(';')[0]}` : 'a body without Content-Type'} is not accepted; send image/jpeg, image/png or multipart/form-data with a file field "image"`,
      ),
      undefined,
    );
  });
}

/** The bytes of an image upload, raw or from the multipart file field `image`. */
export async function readImageBody(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  if (!request.isMultipart()) {
    if (Buffer.isBuffer(request.body)) return request.body;
    throw new RelabelError('IMAGE_EMPTY', 'the request has no body; send the image as the body or as multipart field "image"');
  }
  let image: Buffer | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file' && part.fieldname === 'image' && !image) image = await part.toBuffer();
      else if (part.type === 'file') part.file.resume();
    }
  } catch (err) {
    if (isRelabelError(err)) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(`more than ${maxBytes}`, maxBytes);
    if (code === 'FST_FILES_LIMIT') throw new RelabelError('MULTIPART_INVALID', 'send at most 3 files, the image in the field "image"');
    throw new RelabelError('MULTIPART_INVALID', `the multipart body cannot be parsed: ${(err as Error).message}`);
  }
  if (!image) throw new RelabelError('MULTIPART_NO_IMAGE', 'the multipart body has no file field "image"');
  return image;
}
