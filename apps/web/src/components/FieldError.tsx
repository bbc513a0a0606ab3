/**
 * The attributes that tie a form field to the refusal shown beside it
 * (FieldError with the same `errorId`): invalid while there is a message,
 * and described by it.
 */
export function fieldErrorAttributes(errorId: string, message: string | null) {
  return {
    'aria-invalid': message !== null,
    'aria-describedby': message === null ? undefined : errorId,
  };
}

/**
 * A refusal shown beside the field it is about (a typed API error read
 * by its code, such as groupWriteErrorOf, or a check made before
 * sending); nothing while `message` is null.
 */
export function FieldError({
  errorId,
  message,
}: {
  errorId: string;
  message: string | null;
}) {
  if (message === null) return null;

  return (
    <p id={errorId} className="error-text field-error" role="alert">
      {message}
    </p>
  );
}
