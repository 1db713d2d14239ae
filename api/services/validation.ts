/** Validation with the admin's rules (allow-list, limits), from the shared validation module. */
import type { ProjectInput, ValidationResult, Validator } from '../../validation/index.js';
import type { SettingsService } from './settings.js';

export class ValidationService {
  constructor(private readonly validator: Validator, private readonly settings: SettingsService) {}

  get engine(): Validator['engine'] {
    return this.validator.engine;
  }

  async validate(input: ProjectInput): Promise<ValidationResult> {
    return this.validator.validate(input, await this.settings.rules());
  }
}
