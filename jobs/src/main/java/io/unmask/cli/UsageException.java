package io.unmask.cli;

/** A bad option value found once the command runs (e.g. an --input that is not a folder). */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
