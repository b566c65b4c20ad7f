// What every precompiled validator in this folder is (see miniapp/scripts/validators.ts).
import type { SchemaError } from '@flexins/shared';

export interface PrecompiledValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}
