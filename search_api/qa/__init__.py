"""Question answering: parse the question, answer from the graph when it knows, else from
the best passages, always with evidence (document, passage, span, quote).

Public API: ``answer``, ``Answer``, ``Evidence``, ``parse_question``.
"""
