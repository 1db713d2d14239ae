/**
 * The explorer's conversions between BSON documents and the JSON people read and type: relaxed
 * Extended JSON out (ObjectId as {"$oid"}, dates as {"$date"}, decimals as {"$numberDecimal"}, large
 * integers as {"$numberLong"}), and Extended JSON in, so a value shown can be pasted back into a filter
 * and means the same. Input must be a JSON object that passes the query guard. Pure.
 */
import { BSON, Long, type Document } from 'mongodb';
import { InputError } from '../errors.js';
import { queryProblem } from './query-guard.js';

/** 64-bit integers stay typed: relaxed mode would turn them into JSON numbers, which lose precision past 2^53. */
function keepLongs(value: unknown): unknown {
  if (value instanceof Long || typeof value === 'bigint') return { $numberLong: value.toString() };
  if (Array.isArray(value)) return value.map(keepLongs);
  if (value && typeof value === 'object' && (value as { _bsontype?: unknown })._bsontype === undefined && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, keepLongs(child)]));
  }
  return value;
}

/** A document as relaxed Extended JSON (a plain JSON value), 64-bit integers as {"$numberLong"}. */
export function toExtendedJson(document: Document): unknown {
  return BSON.EJSON.serialize(keepLongs(document) as Document, { relaxed: true });
}

/** `text` (Extended JSON) as a query object for the server; InputError naming `where` otherwise. */
export function parseQueryObject(text: string | undefined, where: string): Document {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = BSON.EJSON.parse(text, { relaxed: false });
  } catch (error) {
    throw new InputError(`Invalid query: ${where} is not valid JSON (${(error as Error).message}).`, { details: { issues: [{ path: `body.${where}`, message: 'not valid (Extended) JSON' }] } });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`Invalid query: ${where} must be a JSON object.`, { details: { issues: [{ path: `body.${where}`, message: 'must be a JSON object' }] } });
  }
  const problem = queryProblem(value, where);
  if (problem) throw new InputError(`Invalid query: ${problem}.`, { details: { issues: [{ path: `body.${where}`, message: problem }] } });
  return value as Document;
}
