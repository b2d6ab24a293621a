package dev.mason.databricks;

import dev.mason.store.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SQL engine behind the fake's warehouses: a real PostgreSQL, started on first use, with one
 * database named after the fake's only catalog, so three-part names ({@code main.sales.orders})
 * resolve as they do on Databricks. Backtick identifiers are turned into PostgreSQL's double quotes.
 *
 * <p>Thread-safe: start-up happens once under a lock; each statement uses its own connection.
 */
final class FakeSqlEngine implements AutoCloseable {
  /** A column of a result: its name and its Databricks type (type_name, e.g. INT; type_text, e.g. INT). */
  record Column(String name, String typeName, String typeText) {}

  /** What a statement produced: columns and rows (values as JSON_ARRAY strings) for queries, empty otherwise. */
  record Result(List<Column> columns, List<List<String>> rows) {}

  private final String catalog;
  private final ReentrantLock lock = new ReentrantLock();
  private EmbeddedPostgres server;

  FakeSqlEngine(String catalog) {
    this.catalog = catalog;
  }

  String catalog() {
    return catalog;
  }

  /** A connection to the catalog's database, with {@code schema} first on the search path when given. */
  Connection connect(String schema) throws SQLException {
    Connection connection = DriverManager.getConnection(url(catalog), "postgres", server.password());
    if (schema != null) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET search_path TO \"" + schema.replace("\"", "\"\"") + "\", public");
      }
    }
    return connection;
  }

  /** Runs one statement on {@code statement} (so it can be cancelled from another thread). */
  static Result run(Statement statement, String sql) throws SQLException {
    boolean query = statement.execute(translate(sql));
    if (!query) {
      return new Result(List.of(), List.of());
    }
    try (ResultSet rows = statement.getResultSet()) {
      ResultSetMetaData meta = rows.getMetaData();
      List<Column> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        String type = databricksType(meta.getColumnTypeName(i));
        columns.add(new Column(meta.getColumnLabel(i), type, type.equals("LONG") ? "BIGINT" : type));
      }
      List<List<String>> data = new ArrayList<>();
      while (rows.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns.size(); i++) {
          String value = rows.getString(i);
          if (value != null && columns.get(i - 1).typeName().equals("BOOLEAN")) {
            value = value.equals("t") || value.equals("true") ? "true" : "false";
          }
          row.add(value);
        }
        data.add(row);
      }
      return new Result(columns, data);
    }
  }

  /** Runs setup SQL for a test (tables, rows) in the catalog's database. */
  void setUp(String... statements) {
    try (Connection connection = connect(null); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("setup SQL failed: " + e.getMessage(), e);
    }
  }

  static String databricksType(String postgresType) {
    return switch (postgresType) {
      case "int4", "serial" -> "INT";
      case "int2" -> "SHORT";
      case "int8", "bigserial" -> "LONG";
      case "float4" -> "FLOAT";
      case "float8" -> "DOUBLE";
      case "numeric" -> "DECIMAL";
      case "bool" -> "BOOLEAN";
      case "date" -> "DATE";
      case "timestamp", "timestamptz" -> "TIMESTAMP";
      case "bytea" -> "BINARY";
      default -> "STRING";
    };
  }

  /** Databricks SQL quotes identifiers with backticks; PostgreSQL with double quotes. Literals are left alone. */
  static String translate(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (quote == 0 && c == '\'') {
        quote = c;
      } else if (quote == '\'' && c == '\'') {
        quote = 0;
      } else if (quote == 0 && c == '`') {
        quote = '`';
        c = '"';
      } else if (quote == '`' && c == '`') {
        quote = 0;
        c = '"';
      }
      out.append(c);
    }
    return out.toString();
  }

  private String url(String database) throws SQLException {
    lock.lock();
    try {
      if (server == null) {
        start();
      }
      return "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database;
    } finally {
      lock.unlock();
    }
  }

  /** Runs a query for the fake's own bookkeeping (information_schema); rows as strings. */
  List<List<String>> query(String sql, String... parameters) {
    try (Connection connection = connect(null); var statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setString(i + 1, parameters[i]);
      }
      List<List<String>> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
            row.add(result.getString(i));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("fake catalog query failed: " + e.getMessage(), e);
    }
  }

  private void start() throws SQLException {
    try {
      Path base = Path.of(System.getProperty("mason.test.home", "target/test-home")).toAbsolutePath();
      Files.createDirectories(base);
      Path dir = Files.createTempDirectory(base, "fake-sql-");
      EmbeddedPostgres started = new EmbeddedPostgres(dir.resolve("pg"), binaryCache());
      started.start();
      server = started;
    } catch (IOException e) {
      throw new SQLException("cannot prepare the fake's PostgreSQL: " + e.getMessage(), e);
    }
    try (Connection admin = DriverManager.getConnection(server.jdbcUrl(), "postgres", server.password());
         Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE \"" + catalog + "\"");
    }
    try (Connection connection = DriverManager.getConnection(url(catalog), "postgres", server.password());
         Statement statement = connection.createStatement()) {
      // Every Databricks catalog starts with a schema named default.
      statement.execute("CREATE SCHEMA \"default\"");
    }
  }

  /** The shared binary cache Mason itself uses, so tests unpack PostgreSQL once per machine. */
  private static Path binaryCache() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return cache.resolve("mason").resolve("postgres");
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (server != null) {
        server.close();
        server = null;
      }
    } finally {
      lock.unlock();
    }
  }
}
