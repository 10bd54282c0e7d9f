import { IsOptional, IsString } from 'class-validator';

/** Every form posts its CSRF token as `_csrf`; the CSRF guard checks it, the DTOs only let it through. */
export class FormDto {
  @IsOptional() @IsString() _csrf?: string;
}
