import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { SignalData } from './schemas/common';

/** The part of a compiled TypeBox validator the decoder uses (its type guard would narrow to never). */
export interface Validator {
  Check(value: unknown): boolean;
  Errors(value: unknown): Iterable<ValidationError>;
}

interface ValidationError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: unknown;
  readonly message: string;
}

export const compile = (schema: TSchema): Validator => Compile(schema) as unknown as Validator;

/** A schema path and what is wrong there, e.g. `{ path: '/d/kind', message: "must be one of …" }`. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/**
 * The most useful problem among a validator's errors: the deepest path wins; a union of literals
 * reads as "must be one of …"; union bookkeeping errors are dropped. SIGNAL data is a union
 * discriminated by `type`, so its errors come from the member that `type` names.
 */
export function describeErrors(validator: Validator, value: unknown): Problem {
  const problem = deepestProblem(validator.Errors(value));
  if (problem.path === signalDataPath || problem.path.startsWith(`${signalDataPath}/`)) {
    const data = signalDataOf(value);
    if (data !== undefined) return describeSignalData(data);
  }
  return problem;
}

export function formatProblem(problem: Problem): string {
  return `${problem.path || '/'} ${problem.message}`;
}

function deepestProblem(errors: Iterable<ValidationError>, prefix = ''): Problem {
  let best: Problem | undefined;
  const allowed = new Map<string, unknown[]>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'boolean') continue;
    const path =
      prefix + (error.keyword === 'additionalProperties' ? extraPropertyPath(error) : error.instancePath);
    let message = error.message;
    if (error.keyword === 'const') {
      const values = allowed.get(path) ?? [];
      values.push((error.params as { allowedValue?: unknown }).allowedValue);
      allowed.set(path, values);
      message =
        values.length === 1
          ? `must be ${literal(values[0])}`
          : `must be one of ${values.map(literal).join(', ')}`;
      if (best?.path === path) best = { path, message };
    }
    if (!best || path.length > best.path.length) best = { path, message };
  }
  return best ?? { path: prefix, message: 'does not match the schema' };
}

const literal = (value: unknown): string => JSON.stringify(value) ?? String(value);

function extraPropertyPath(error: ValidationError): string {
  const extra = (error.params as { additionalProperties?: unknown }).additionalProperties;
  const first = Array.isArray(extra) ? extra[0] : undefined;
  return typeof first === 'string' ? `${error.instancePath}/${first}` : error.instancePath;
}

/** Where simple-peer's signal sits in SIGNAL frames in both directions. */
const signalDataPath = '/d/data';

function signalDataOf(value: unknown): Record<string, unknown> | undefined {
  const d = (value as { d?: unknown }).d;
  const data = typeof d === 'object' && d !== null ? (d as { data?: unknown }).data : undefined;
  return typeof data === 'object' && data !== null && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : undefined;
}

/** One validator per SignalData member, keyed by the `type` values that member accepts. */
const signalMembers = new Map<string, Validator>();
for (const member of (SignalData as unknown as { anyOf: TSchema[] }).anyOf) {
  const type = (
    member as unknown as { properties: { type: { const?: string; anyOf?: { const: string }[] } } }
  ).properties.type;
  const names = type.anyOf ? type.anyOf.map((option) => option.const) : [type.const ?? ''];
  const validator = compile(member);
  for (const name of names) signalMembers.set(name, validator);
}

function describeSignalData(data: Record<string, unknown>): Problem {
  const member = typeof data.type === 'string' ? signalMembers.get(data.type) : undefined;
  if (!member) {
    const names = [...signalMembers.keys()].map(literal).join(', ');
    return { path: `${signalDataPath}/type`, message: `must be one of ${names}` };
  }
  return deepestProblem(member.Errors(data), signalDataPath);
}
