package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void semicolonsInsideStringsIdentifiersAndCommentsDoNotSplit() {
    String script = """
        -- a comment; with a semicolon
        SELECT 'a;b', "c;d", `e;f` FROM t; /* block; comment */
        INSERT INTO t VALUES ('it''s; fine', 'back\\'slash; too', 'two\\\\'); SELECT 2;
        SELECT /* nested /* ; */ still comment ; */ 1
        """;
    assertThat(SqlScript.split(script)).containsExactly(
        "-- a comment; with a semicolon\nSELECT 'a;b', \"c;d\", `e;f` FROM t",
        "/* block; comment */\nINSERT INTO t VALUES ('it''s; fine', 'back\\'slash; too', 'two\\\\')",
        "SELECT 2",
        "SELECT /* nested /* ; */ still comment ; */ 1");
  }

  @Test
  void emptyAndCommentOnlyStatementsAreDropped() {
    assertThat(SqlScript.split(";; -- only a comment\n ; /* and this */ ;\nSELECT 1;")).containsExactly("SELECT 1");
    assertThat(SqlScript.split("   ")).isEmpty();
  }

  @Test
  void anUnterminatedStringKeepsTheRestAsOneStatement() {
    assertThat(SqlScript.split("SELECT 'open; SELECT 2")).containsExactly("SELECT 'open; SELECT 2");
  }

  @Test
  void statementsThatTouchDifferentTablesShareAGroupAndBarriersSeparateEverything() {
    int[] groups = SqlGroups.of(java.util.List.of(
        "CREATE TABLE main.s.a (id int)",
        "CREATE TABLE `main`.`s`.`b` (id int)",
        "INSERT INTO a VALUES (1)",
        "SELECT * FROM main.s.b JOIN main.s.c ON true",
        "SELECT count(*) FROM a",
        "USE CATALOG main",
        "SELECT 1"));
    assertThat(groups).containsExactly(0, 0, 1, 1, 2, 3, 4);
  }
}
