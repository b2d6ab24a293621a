package dev.mason.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens each physical connection with the password the {@link PasswordSource} gives at that
 * moment, so pooled connections keep working while short-lived database tokens rotate.
 */
final class RefreshingDataSource implements DataSource {
  private final PGSimpleDataSource delegate = new PGSimpleDataSource();
  private final DatabaseEndpoint endpoint;

  RefreshingDataSource(DatabaseEndpoint endpoint) {
    this.endpoint = endpoint;
    delegate.setServerNames(new String[] {endpoint.host()});
    delegate.setPortNumbers(new int[] {endpoint.port()});
    delegate.setDatabaseName(endpoint.database());
    delegate.setSslMode(endpoint.sslMode());
    delegate.setApplicationName("mason");
    delegate.setConnectTimeout(10);
    delegate.setTcpKeepAlive(true);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return delegate.getConnection(endpoint.user(), endpoint.password().password());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return delegate.getConnection(username, password);
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
