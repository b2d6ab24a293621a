package dev.mason;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** A value computed on first use; a failure is not remembered, so the next use tries again. */
final class Memoized<T> implements Supplier<T> {
  private final Supplier<T> compute;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile T value;

  Memoized(Supplier<T> compute) {
    this.compute = compute;
  }

  @Override
  public T get() {
    T current = value;
    if (current != null) {
      return current;
    }
    lock.lock();
    try {
      if (value == null) {
        value = compute.get();
      }
      return value;
    } finally {
      lock.unlock();
    }
  }
}
