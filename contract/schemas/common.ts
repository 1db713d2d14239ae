/** Schemas used across routes: the error shape, id parameters, findings. */
import { z } from 'zod';
import 'zod-openapi';
import { findingCodes, severities } from '../../validation/index.js';

export const errorSchema = z.object({
  error: z.object({
    code: z.string().meta({ example: 'not_found' }),
    message: z.string(),
    details: z.unknown().optional(),
  }),
}).meta({ id: 'Error' });

// Malformed ids are answered 404 like unknown ones, so ids are plain strings here and checked by services.
export const appIdParams = z.object({ appId: z.string().max(64).meta({ description: 'App id (10 lower-case letters and digits)', example: 'k3x9q2m7zt' }) });

export const findingSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  endLine: z.number().int(),
  endColumn: z.number().int(),
  severity: z.enum(severities),
  code: z.enum(findingCodes),
  message: z.string(),
}).meta({ id: 'Finding' });

export const filesSchema = z.record(z.string().min(1).max(200), z.string().max(1024 * 1024))
  .refine((files) => Object.keys(files).length <= 200, 'at most 200 files')
  .meta({ description: 'Path → content', example: { 'app.py': 'from fastapi import FastAPI\napp = FastAPI()\n' } });

export const entrypointSchema = z.string().min(1).max(200).default('app.py');

export const isoDate = z.string().meta({ format: 'date-time' });
