package dev.mason.credentials;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What {@code GET /api/pat-status} answers: the reference's {@code configured}, {@code valid},
 * {@code user} and {@code workspace_host}, and what Mason adds about rotation. Never a token.
 *
 * @param source where the owner's credential came from: {@code pasted}, {@code environment},
 *     {@code profile}; null when there is none
 * @param expiresAt when the token in use expires; null when unknown or none
 * @param lastRotation when Mason last minted a token; null before the first
 * @param rotationFailures rotations failed in a row (0 when the last one worked)
 * @param error the last failure in one line, null when the last attempt worked
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PatStatus(
    boolean configured,
    boolean valid,
    String user,
    String workspaceHost,
    String source,
    Instant expiresAt,
    Instant lastRotation,
    int rotations,
    int rotationFailures,
    String error) {}
