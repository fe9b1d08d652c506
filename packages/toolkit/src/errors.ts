/**
 * Errors that carry their own explanation. A UserError is the user's to fix (a bad input, a missing
 * permission, a resource in the wrong state): it is reported as one line, never with a stack.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** A bad input value: the message names the input, what is wrong with the value, and the fix. */
export class InputError extends UserError {
  override name = 'InputError';
  constructor(
    readonly input: string,
    problem: string,
    fix: string,
  ) {
    // One line whatever the parts hold: a raw newline would split the ::error:: annotation.
    super(`Input "${input}": ${problem}; ${fix}`.replace(/\r?\n/g, ' '));
  }
}

/** A wait that ran past its deadline. */
export class TimeoutError extends UserError {
  override name = 'TimeoutError';
}
