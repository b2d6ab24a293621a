package dev.mason.project;

import dev.mason.web.ApiError;

/**
 * The one rule for names and settings: a single line of real characters. Control characters (NUL
 * among them, which PostgreSQL cannot store) and lone UTF-16 surrogates (which have no UTF-8 form)
 * are refused with the field and the position, never stored altered.
 */
final class PlainText {
  private PlainText() {}

  static void check(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw ApiError.badRequest(field, field + " contains a control character (U+%04X) at position %d".formatted((int) c, i));
      }
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ApiError.badRequest(field, field + " contains a lone surrogate (U+%04X) at position %d, which is not a character"
            .formatted((int) c, i));
      }
    }
  }
}
