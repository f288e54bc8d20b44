namespace Gittensory.Drills.Preflight;

/// <summary>A sequence's value as archived by its SEQUENCE SET entry (<c>SELECT pg_catalog.setval('public.x_id_seq', 42, true);</c>).</summary>
/// <param name="Sequence">The sequence as <c>schema.name</c>, unquoted.</param>
/// <param name="Value">The value given to setval: the last value handed out, or the next one when <paramref name="IsCalled"/> is false.</param>
/// <param name="IsCalled">setval's third argument: false for a sequence never used (its next value is <paramref name="Value"/> itself).</param>
public sealed record PgSequenceValue(string Sequence, long Value, bool IsCalled);
