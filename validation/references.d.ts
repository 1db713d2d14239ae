/** Findings for references to blocked built-ins, process-starting functions and sandbox-escape attributes. */
import { type Finding } from './findings.js';
import type { ReferenceFact } from './facts.js';
export declare function referenceFindings(file: string, references: readonly ReferenceFact[]): Finding[];
