"""An offline, deterministic model of a Porch community, to measure what a feed order
does to conversation: ``simulate(members=…, seeds=…, graph=…)``, or ``porch simulate``.
It runs the server's own rankers (``porch.feed.rankers``) and needs no database."""
