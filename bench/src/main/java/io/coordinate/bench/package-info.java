/**
 * JMH benchmarks of the in-memory backend. Not part of the library: {@code bench/run} builds and
 * runs them (see {@code docs/benchmarks.md} for the commands and the latest figures). Each class's
 * Javadoc says what one operation is and how to run it.
 */
package io.coordinate.bench;
