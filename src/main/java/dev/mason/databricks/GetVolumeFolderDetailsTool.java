package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.web.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * get_volume_folder_details: what a volume folder holds before anything is built on it: its files
 * with sizes, the formats by count, and the first lines of a text file (CSV, JSON, text) read
 * through the Files API. Binary formats (Parquet, Delta, Avro, ORC) get the SQL that previews them.
 */
final class GetVolumeFolderDetailsTool extends DatabricksTool {
  private static final List<String> FORMATS = List.of("auto", "csv", "json", "parquet", "delta", "text");
  private static final List<String> TEXT = List.of("csv", "tsv", "json", "jsonl", "ndjson", "txt", "text");
  private static final int PREVIEW_BYTES = 64 * 1024;

  GetVolumeFolderDetailsTool(ToolRuntime runtime) {
    super(runtime, "get_volume_folder_details",
        "Describes a folder of a Unity Catalog volume, read as the user: its files (path, size, format) up to max_files, "
            + "the count and total size per format, subfolders, and a preview of the data: the first preview_rows lines of "
            + "the first CSV, JSON or text file (CSV headers as columns). For Parquet, Delta and other binary formats it "
            + "gives the read_files SQL to preview them with execute_sql. Use before creating tables or pipelines on files.",
        InputSchema.object()
            .string("volume_path", "The folder, /Volumes/<catalog>/<schema>/<volume>/<folder...>.")
            .choice("format", "The files' format if known (default auto: read from the file names).", FORMATS)
            .integer("max_files", "Most files to list (default 100, at most 1000).")
            .integer("preview_rows", "Lines of data to preview (default 5, at most 50; 0 for none).")
            .required("volume_path"), READ_ONLY, IN_BACKGROUND);
  }

  @Override
  String run(ToolCall call) {
    Args args = call.args();
    String folder = ManageVolumeFilesTool.volumePath(args.string("volume_path"));
    String format = args.choice("format", FORMATS, "auto");
    int maxFiles = args.optInt("max_files", 100, 1, 1000);
    int previewRows = args.optInt("preview_rows", 5, 0, 50);

    List<JsonNode> entries = ManageVolumeFilesTool.entries(call, folder, maxFiles + 1);
    ArrayNode files = Json.MAPPER.createArrayNode();
    ArrayNode folders = Json.MAPPER.createArrayNode();
    Map<String, long[]> byFormat = new TreeMap<>();
    String firstText = null;
    String firstFormat = null;
    for (JsonNode entry : entries.subList(0, Math.min(entries.size(), maxFiles))) {
      String path = entry.path("path").asText();
      if (entry.path("is_directory").asBoolean()) {
        folders.add(path);
        continue;
      }
      String fileFormat = format.equals("auto") ? formatOf(path) : format;
      long size = entry.path("file_size").asLong();
      files.addObject().put("path", path).put("size", size).put("format", fileFormat);
      long[] totals = byFormat.computeIfAbsent(fileFormat, f -> new long[2]);
      totals[0]++;
      totals[1] += size;
      if (firstFormat == null && !path.substring(path.lastIndexOf('/') + 1).startsWith("_")) {
        firstFormat = fileFormat;
        firstText = TEXT.contains(fileFormat) ? path : null;
      }
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("volume_path", folder).put("file_count", files.size())
        .put("more_files", entries.size() > maxFiles);
    ObjectNode formats = out.putObject("formats");
    byFormat.forEach((f, totals) -> formats.putObject(f).put("files", totals[0]).put("total_bytes", totals[1]));
    out.set("folders", folders);
    out.set("files", files);
    if (folders.isEmpty() && files.isEmpty()) {
      out.put("message", "The folder is empty.");
    } else if (previewRows > 0 && firstText != null) {
      out.set("preview", preview(call, firstText, firstFormat, previewRows));
    } else if (previewRows > 0) {
      String sqlFormat = format.equals("auto") ? (firstFormat == null || firstFormat.equals("unknown") ? "parquet" : firstFormat) : format;
      out.put("preview_sql", "SELECT * FROM read_files('" + folder.replace("'", "\\'") + "', format => '" + sqlFormat + "') LIMIT " + previewRows);
    }
    return out.toString();
  }

  private static ObjectNode preview(ToolCall call, String path, String format, int rows) {
    String text = new String(call.api().head(ManageVolumeFilesTool.FILES + WorkspaceApi.encodePath(path), PREVIEW_BYTES),
        StandardCharsets.UTF_8);
    List<String> lines = text.lines().filter(l -> !l.isBlank()).limit(rows + 1L).toList();
    ObjectNode preview = Json.MAPPER.createObjectNode().put("file", path).put("format", format);
    if ((format.equals("csv") || format.equals("tsv")) && !lines.isEmpty()) {
      String separator = format.equals("tsv") ? "\t" : ",";
      ArrayNode columns = preview.putArray("columns");
      for (String column : lines.getFirst().split(separator, -1)) {
        columns.add(column.strip().replaceAll("^\"|\"$", ""));
      }
      ArrayNode data = preview.putArray("rows");
      lines.stream().skip(1).limit(rows).forEach(data::add);
    } else {
      ArrayNode data = preview.putArray("rows");
      lines.stream().limit(rows).forEach(data::add);
    }
    return preview;
  }

  private static String formatOf(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
    return switch (extension) {
      case "csv", "tsv", "json", "jsonl", "ndjson", "parquet", "avro", "orc", "xml", "txt" -> extension;
      case "gz", "zip", "snappy" -> "compressed";
      default -> name.startsWith("_") || name.equals("_delta_log") ? "delta" : "unknown";
    };
  }
}
