/** The pure parts of the admin settings form and the template form: values in, API bodies out, API problems placed on fields. */
import test from 'ava';
import { bodyOf, importLines, toFormFields, valuesOf, type SettingsValues } from '../../ui/src/admin/settings-form.js';
import { ApiError } from '../../ui/src/http/client.js';
import type { AdminSettings } from '../../contract/index.js';
import { formBody, formValues, parseTags, templateFormErrors } from '../../ui/src/templates/template-form.js';

const settings: AdminSettings = {
  allowSignups: true, allowedImports: null, defaultAllowedImports: ['fastapi', 'fasthtml.common'],
  limits: { maxFiles: 50, maxFileBytes: 102400, maxTotalBytes: 512000 }, maxAppsPerUser: 20, maxDatabasesPerUser: 5, idleTimeoutMinutes: 15, updatedAt: null, updatedBy: null,
};

test('settings: the defaults show as the import list; an unchanged form gives back the same settings', (t) => {
  const values = valuesOf(settings);
  t.like(values, { useDefaultImports: true, imports: 'fastapi\nfasthtml.common', maxFiles: '50', maxAppsPerUser: '20', idleTimeoutMinutes: '15' });
  t.deepEqual(bodyOf(values), { body: { allowSignups: true, allowedImports: null, limits: settings.limits, maxAppsPerUser: 20, maxDatabasesPerUser: 5, idleTimeoutMinutes: 15 } });
});

test('settings: an own import list is sent trimmed, one module per non-empty line', (t) => {
  t.deepEqual(importLines('  fastapi \n\n pydantic\n'), ['fastapi', 'pydantic']);
  const values: SettingsValues = { ...valuesOf(settings), useDefaultImports: false, imports: 'fastapi\n  httpx  \n' };
  t.like(bodyOf(values), { body: { allowedImports: ['fastapi', 'httpx'] } });
});

test('settings: fails before any request when a number is not whole or the own import list is empty', (t) => {
  const values: SettingsValues = { ...valuesOf(settings), useDefaultImports: false, imports: ' \n', maxFiles: '1.5', maxFileBytes: '-3', maxAppsPerUser: '' };
  t.deepEqual(bodyOf(values), { problems: {
    imports: 'List at least one module, or use the defaults.',
    maxFiles: 'Enter a whole number.', maxFileBytes: 'Enter a whole number.', maxAppsPerUser: 'Enter a whole number.',
  } });
});

test('settings: the API\'s field paths land on the form\'s fields, an import problem naming the module', (t) => {
  const error = new ApiError('Invalid settings', 400, 'invalid_body', null, [
    { field: 'allowedImports.1', message: 'a module name' },
    { field: 'limits.maxFiles', message: 'at most 500' },
  ]);
  const renamed = toFormFields(error, ['fastapi', 'not a module']);
  t.true(renamed instanceof ApiError);
  t.deepEqual((renamed as ApiError).fields, [
    { field: 'imports', message: '"not a module" is not a module name' },
    { field: 'maxFiles', message: 'at most 500' },
  ]);
  const other = new Error('offline');
  t.is(toFormFields(other, []), other, 'anything but an API error passes through');
});

test('templates: tags are one comma-separated line, lower-cased, spaces as dashes, without repeats', (t) => {
  t.deepEqual(parseTags('API, Hello World , api,, '), ['api', 'hello-world']);
  t.deepEqual(formBody({ title: '  Notes ', description: ' A notes app ', complexity: 'beginner', tags: 'CRUD, crud' }),
    { title: 'Notes', description: 'A notes app', complexity: 'beginner', tags: ['crud'] });
  t.deepEqual(formValues({ title: 'Notes', description: 'd', complexity: 'advanced', tags: ['crud', 'db'] }),
    { title: 'Notes', description: 'd', complexity: 'advanced', tags: 'crud, db' });
});

test('templates: fails onto the right field: a taken title, a bad tag, a too-short title', (t) => {
  t.deepEqual(templateFormErrors(new ApiError('You already have a template named "Notes".', 409, 'conflict', null)),
    { summary: 'Please fix the fields marked below.', fields: { title: 'You already have a template named "Notes".' } });
  const invalid = new ApiError('Invalid body', 400, 'invalid_body', null, [
    { field: 'tags.2', message: 'use lower-case letters, digits and dashes' },
    { field: 'title', message: 'at least 3 characters' },
  ]);
  t.deepEqual(templateFormErrors(invalid), { summary: 'Please fix the fields marked below.', fields: {
    tags: 'Use lower-case letters, digits and dashes.', title: 'At least 3 characters.',
  } });
  t.regex(templateFormErrors(new TypeError('x')).summary ?? '', /reload the page/);
});
