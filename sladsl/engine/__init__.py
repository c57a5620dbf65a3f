"""The evaluation engine: compile a checked contract, then evaluate tickets.

- ``metrics``: the metric rule table (what starts, pauses, stops and resumes
  each metric), the single source of truth for metric semantics;
- ``conditions``: policy conditions as picklable predicate objects;
- ``compile``: ``compile_contract(tree, calendars) -> CompiledContract``;
- ``evaluate``: ``evaluate(compiled, ticket, now) -> TicketResult`` (pure);
- ``results``: ``MetricResult``, ``TicketResult``, ``ErrorResult``;
- ``explain``: the readable account behind ``sladsl explain``.

Example::

    from sladsl.engine.compile import compile_contract
    from sladsl.engine.evaluate import evaluate
    result = evaluate(compile_contract(tree, calendars), ticket, now)
"""
