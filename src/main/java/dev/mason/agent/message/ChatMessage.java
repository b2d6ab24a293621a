package dev.mason.agent.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One turn of a conversation as models see it: a role and content blocks. */
public record ChatMessage(Role role, List<ContentBlock> content) {
  public enum Role {
    USER, ASSISTANT;

    public String wire() {
      return name().toLowerCase();
    }
  }

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    content = List.copyOf(content);
  }

  public static ChatMessage user(String text) {
    return new ChatMessage(Role.USER, List.of(new ContentBlock.Text(text)));
  }

  public ArrayNode contentJson() {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    content.forEach(block -> array.add(block.toJson()));
    return array;
  }

  public static List<ContentBlock> blocksFromJson(JsonNode array) {
    List<ContentBlock> blocks = new ArrayList<>();
    for (JsonNode node : array) {
      blocks.add(ContentBlock.fromJson(node));
    }
    return blocks;
  }
}
