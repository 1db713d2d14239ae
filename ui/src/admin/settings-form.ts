/**
 * The settings form's values (all text, as the inputs hold them), converted from the API's settings
 * and back into a PUT body. Numbers that are not whole numbers are caught here, before any request;
 * the API's problems for one line of the import list are reported on the list's field.
 */
import { ApiError } from '../http/client';
import type { AdminSettings } from '../http/client';

export interface SettingsValues {
  allowSignups: boolean;
  useDefaultImports: boolean;
  /** One module per line. */
  imports: string;
  maxFiles: string;
  maxFileBytes: string;
  maxTotalBytes: string;
  maxAppsPerUser: string;
  maxDatabasesPerUser: string;
  idleTimeoutMinutes: string;
}

const numberFields = ['maxFiles', 'maxFileBytes', 'maxTotalBytes', 'maxAppsPerUser', 'maxDatabasesPerUser', 'idleTimeoutMinutes'] as const;
export type NumberName = (typeof numberFields)[number];

/** The API's field paths, mapped to the form's field names. */
const apiField: Record<string, keyof SettingsValues> = {
  allowSignups: 'allowSignups', allowedImports: 'imports', 'limits.maxFiles': 'maxFiles', 'limits.maxFileBytes': 'maxFileBytes',
  'limits.maxTotalBytes': 'maxTotalBytes', maxAppsPerUser: 'maxAppsPerUser', maxDatabasesPerUser: 'maxDatabasesPerUser',
  idleTimeoutMinutes: 'idleTimeoutMinutes',
};
export const formFields = Object.values(apiField);

export function valuesOf(settings: AdminSettings): SettingsValues {
  return {
    allowSignups: settings.allowSignups,
    useDefaultImports: settings.allowedImports === null,
    imports: (settings.allowedImports ?? settings.defaultAllowedImports).join('\n'),
    maxFiles: String(settings.limits.maxFiles),
    maxFileBytes: String(settings.limits.maxFileBytes),
    maxTotalBytes: String(settings.limits.maxTotalBytes),
    maxAppsPerUser: String(settings.maxAppsPerUser),
    maxDatabasesPerUser: String(settings.maxDatabasesPerUser),
    idleTimeoutMinutes: String(settings.idleTimeoutMinutes),
  };
}

export function importLines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter(Boolean);
}

export type Problems = Partial<Record<keyof SettingsValues, string>>;

/** The PUT body, or what must be fixed first (numbers that are not whole, an empty import list). */
export function bodyOf(values: SettingsValues): { body: Record<string, unknown> } | { problems: Problems } {
  const problems: Problems = {};
  if (!values.useDefaultImports && importLines(values.imports).length === 0) problems.imports = 'List at least one module, or use the defaults.';
  const numbers = {} as Record<NumberName, number>;
  for (const field of numberFields) {
    const text = values[field].trim();
    if (!/^\d+$/.test(text)) problems[field] = 'Enter a whole number.';
    numbers[field] = Number(text);
  }
  if (Object.keys(problems).length > 0) return { problems };
  return {
    body: {
      allowSignups: values.allowSignups,
      allowedImports: values.useDefaultImports ? null : importLines(values.imports),
      limits: { maxFiles: numbers.maxFiles, maxFileBytes: numbers.maxFileBytes, maxTotalBytes: numbers.maxTotalBytes },
      maxAppsPerUser: numbers.maxAppsPerUser,
      maxDatabasesPerUser: numbers.maxDatabasesPerUser,
      idleTimeoutMinutes: numbers.idleTimeoutMinutes,
    },
  };
}

/** The same error with its field paths renamed for the form ("allowedImports.3" → "imports", naming the module). */
export function toFormFields(error: unknown, sentImports: readonly string[]): unknown {
  if (!(error instanceof ApiError)) return error;
  const fields = error.fields.map((problem) => {
    const item = /^allowedImports\.(\d+)$/.exec(problem.field);
    if (item) return { field: 'imports', message: `"${sentImports[Number(item[1])] ?? ''}" is not ${problem.message}` };
    return { field: apiField[problem.field] ?? problem.field, message: problem.message };
  });
  return new ApiError(error.message, error.status, error.code, error.details, fields);
}
