package dev.mason.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.llm.EndpointFixes;
import java.util.regex.Pattern;

/**
 * The protocols the gateway speaks, the paths under each that CLIs may call (nothing else is
 * forwarded), and the request fixes each needs.
 */
enum GatewayApi {
  /** Base URL {@code /gateway/anthropic}: Claude Code, and OpenCode's Anthropic provider. */
  ANTHROPIC("anthropic", Pattern.compile("v1/messages(/count_tokens)?|v1/models(/[^/]+)?")),
  /** Base URL {@code /gateway/openai/v1}: Codex (responses), OpenCode and others (chat completions). */
  OPENAI("openai", Pattern.compile("chat/completions|responses|models(/[^/]+)?")),
  /** Base URL {@code /gateway/gemini}: Gemini CLI. */
  GEMINI("gemini", Pattern.compile("v1(beta)?/models(/[^/:]+(:(generateContent|streamGenerateContent|countTokens))?)?"));

  final String segment;
  private final Pattern paths;

  GatewayApi(String segment, Pattern paths) {
    this.segment = segment;
    this.paths = paths;
  }

  boolean allows(String path) {
    return paths.matcher(path).matches();
  }

  /** The request fixes of Mason's own clients, for this protocol's request at {@code path}. */
  void fix(String path, ObjectNode body) {
    switch (this) {
      case ANTHROPIC -> {
        if (path.equals("v1/messages")) {
          EndpointFixes.anthropicMessages(body);
        }
      }
      case OPENAI -> {
        if (path.equals("chat/completions")) {
          EndpointFixes.openAiChat(body);
        } else if (path.equals("responses")) {
          EndpointFixes.openAiResponses(body);
        }
      }
      case GEMINI -> {
        if (path.endsWith("generateContent") || path.endsWith("GenerateContent")) {
          EndpointFixes.gemini(body);
        }
      }
    }
  }

  /** The URL path under which CLIs reach this protocol. */
  String localBase() {
    return this == OPENAI ? "/gateway/openai/v1" : "/gateway/" + segment;
  }
}
