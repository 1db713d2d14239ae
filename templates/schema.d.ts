/**
 * The AppTemplate document: a Kubernetes-style envelope around a project (files + entrypoint) with
 * what the gallery shows (title, description, framework, complexity, tags), whether it needs a
 * database, which distributions it imports (each must be in the runner image), and example requests
 * that the test panel offers and the tests replay. Shared by the runner tests, the API's seeding
 * and user templates.
 */
import { z } from 'zod';
export declare const exampleRequestSchema: z.ZodObject<{
    title: z.ZodString;
    method: z.ZodEnum<{
        GET: "GET";
        POST: "POST";
        PUT: "PUT";
        PATCH: "PATCH";
        DELETE: "DELETE";
    }>;
    path: z.ZodString;
    headers: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodString>>;
    body: z.ZodOptional<z.ZodUnion<readonly [z.ZodString, z.ZodRecord<z.ZodString, z.ZodUnknown>, z.ZodArray<z.ZodUnknown>]>>;
    expect: z.ZodObject<{
        status: z.ZodNumber;
        contains: z.ZodDefault<z.ZodArray<z.ZodString>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export declare const appTemplateSchema: z.ZodObject<{
    apiVersion: z.ZodLiteral<"fastapi-platform.io/v1">;
    kind: z.ZodLiteral<"AppTemplate">;
    metadata: z.ZodObject<{
        name: z.ZodString;
    }, z.core.$strict>;
    spec: z.ZodObject<{
        title: z.ZodString;
        description: z.ZodString;
        framework: z.ZodEnum<{
            fastapi: "fastapi";
            fasthtml: "fasthtml";
        }>;
        complexity: z.ZodEnum<{
            beginner: "beginner";
            intermediate: "intermediate";
            advanced: "advanced";
        }>;
        tags: z.ZodDefault<z.ZodArray<z.ZodString>>;
        entrypoint: z.ZodDefault<z.ZodString>;
        database: z.ZodDefault<z.ZodBoolean>;
        requirements: z.ZodArray<z.ZodString>;
        files: z.ZodRecord<z.ZodString, z.ZodString>;
        examples: z.ZodArray<z.ZodObject<{
            title: z.ZodString;
            method: z.ZodEnum<{
                GET: "GET";
                POST: "POST";
                PUT: "PUT";
                PATCH: "PATCH";
                DELETE: "DELETE";
            }>;
            path: z.ZodString;
            headers: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodString>>;
            body: z.ZodOptional<z.ZodUnion<readonly [z.ZodString, z.ZodRecord<z.ZodString, z.ZodUnknown>, z.ZodArray<z.ZodUnknown>]>>;
            expect: z.ZodObject<{
                status: z.ZodNumber;
                contains: z.ZodDefault<z.ZodArray<z.ZodString>>;
            }, z.core.$strict>;
        }, z.core.$strict>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type AppTemplate = z.infer<typeof appTemplateSchema>;
export type ExampleRequest = z.infer<typeof exampleRequestSchema>;
