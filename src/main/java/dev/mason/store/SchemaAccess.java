package dev.mason.store;

import dev.mason.common.Causes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Makes sure Mason's own database user may create and own its tables in its schema before the
 * migrations run, and says which grant is missing when it may not.
 *
 * <p>On a fresh Lakebase instance the schema does not exist yet: it is created here, by the
 * database resource's user, who therefore owns it and every table the migrations create, so no
 * manual {@code GRANT} is needed. A schema that someone else created is usable only with
 * {@code USAGE} and {@code CREATE} on it; without them the migrations would fail with a bare
 * "permission denied", so the start stops with the statement its owner has to run.
 */
final class SchemaAccess {
  private SchemaAccess() {}

  static void prepare(DataSource direct, String schema, DatabaseEndpoint endpoint) {
    try (Connection connection = direct.getConnection()) {
      String me = single(connection, "SELECT current_user");
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT pg_get_userbyid(nspowner), has_schema_privilege(oid, 'USAGE'), has_schema_privilege(oid, 'CREATE')"
              + " FROM pg_namespace WHERE nspname = ?")) {
        query.setString(1, schema);
        try (ResultSet row = query.executeQuery()) {
          if (row.next()) {
            String owner = row.getString(1);
            if (!row.getBoolean(2) || !row.getBoolean(3)) {
              throw new StartupException("Schema " + schema + " in database " + endpoint.database() + " belongs to role \""
                  + owner + "\", and Mason's database user \"" + me + "\" may not create tables in it: as \"" + owner
                  + "\" run GRANT USAGE, CREATE ON SCHEMA " + schema + " TO \"" + me + "\"; or set MASON_DATABASE_SCHEMA"
                  + " to a schema that does not exist yet, which Mason then creates and owns");
            }
            return;
          }
        }
      }
      if (!Boolean.parseBoolean(single(connection, "SELECT has_database_privilege(current_database(), 'CREATE')::text"))) {
        throw new StartupException("Mason's database user \"" + me + "\" may not create schema " + schema + " in database "
            + endpoint.database() + ": as the database's owner run GRANT CREATE ON DATABASE \"" + endpoint.database()
            + "\" TO \"" + me + "\" (a Databricks Apps database resource with the permission 'Can connect and create' has it)");
      }
      try (var create = connection.createStatement()) {
        create.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
      }
    } catch (SQLException e) {
      throw new StartupException("Cannot prepare schema " + schema + " in " + endpoint + ": " + Causes.rootMessage(e), e);
    }
  }

  private static String single(Connection connection, String sql) throws SQLException {
    try (var statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }
}
