/** The one error every reader of a batch_arrow body (field, container, frames, multipart) raises. */
import { amlError, ERRORS } from '../errors.js';

/** A batch_arrow body that cannot be read: 400 AML_ERR_API_ARROW_FORMAT with the reason. */
export function arrowFormatError(reason: string): Error {
  return amlError(ERRORS.AML_ERR_API_ARROW_FORMAT, [reason]);
}
