package io.coordinate.api.conformance;

/** Conformance tests: see {@link ConformanceKit}. */
public interface ContinuousContract extends KitFixture {}
