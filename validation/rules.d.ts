/**
 * What a project may contain: the import allow-list and the limits. The API lets an admin change
 * them; these are the defaults. The allow-list starts from the original platform's, keeps only what
 * the runner image actually has, and adds standard-library modules that ordinary apps need. Modules
 * such as `os` and `sys` stay allowed for `os.environ` and friends, while their escape hatches
 * (`os.system`, `os.exec*`, `sys.modules`, ...) are blocked by name; see ARCHITECTURE.md for what is
 * left to the pod boundary.
 */
export interface ValidationLimits {
    readonly maxFiles: number;
    readonly maxFileBytes: number;
    readonly maxTotalBytes: number;
}
export interface ValidationRules {
    /** Dotted module names; an entry allows itself and its submodules (`google.auth` allows `google.auth.jwt`). */
    readonly allowedImports: readonly string[];
    readonly limits: ValidationLimits;
    /** Lower-case file extensions, with the dot. */
    readonly allowedExtensions: readonly string[];
}
export declare const defaultAllowedImports: readonly string[];
export declare const defaultLimits: ValidationLimits;
export declare const defaultAllowedExtensions: readonly string[];
export declare const defaultRules: ValidationRules;
