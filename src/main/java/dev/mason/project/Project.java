package dev.mason.project;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/** A project as the API shows it; {@code owner} is serialised as user_email, the reference's name. */
public record Project(
    UUID id,
    String name,
    @JsonProperty("user_email") String owner,
    Instant createdAt,
    Instant updatedAt,
    int conversationCount) {}
