import { type AppTemplate } from './schema.js';
export declare const builtinTemplateDir: string;
export declare function parseTemplate(text: string, source: string): AppTemplate;
export declare function loadTemplates(dir?: string): Promise<AppTemplate[]>;
