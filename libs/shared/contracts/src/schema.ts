import { TSchema, Static, FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler, TypeCheck } from '@sinclair/typebox/compiler';
import { RelabelError, ErrorCode } from './errors';

/**
 * TypeBox knows no string formats until they are registered: without this every schema using
 * `format: 'date-time'` (ObjectCreated.eventTime) would reject all values as "Unknown format".
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checker<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check as TypeCheck<T>;
}

/** Human-readable list of what is wrong with `value`, e.g. `/key: Expected string`. */
export function describeErrors(schema: TSchema, value: unknown, max = 5): string {
  return [...checker(schema).Errors(value)]
    .slice(0, max)
    .map((e) => `${e.path || '/'}: ${e.message}`)
    .join('; ');
}

export function isValid<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return checker(schema).Check(value);
}

/**
 * Validates data where it enters (queue payloads, events, files) and throws a coded error naming
 * what is wrong, so a malformed message is rejected once instead of being retried for ever.
 */
export function parseWith<T extends TSchema>(
  schema: T,
  value: unknown,
  code: ErrorCode = 'CONTRACT_INVALID_PAYLOAD',
  what = 'payload',
): Static<T> {
  if (checker(schema).Check(value)) return value as Static<T>;
  throw new RelabelError(code, `invalid ${what}: ${describeErrors(schema, value)}`);
}
