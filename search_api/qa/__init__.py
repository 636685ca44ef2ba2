"""Question answering: parse the question, answer from the graph when it knows, else from
the best passages, always with evidence (document, passage, span, quote).

Public API: ``answer`` (takes any ``QAContext``, e.g. a ``Workspace``), ``Answer``,
``Evidence``, ``QAContext``, ``parse_question``, ``ParsedQuestion``.
"""

from search_api.qa.answer import answer
from search_api.qa.context import QAContext
from search_api.qa.evidence import Answer, Evidence
from search_api.qa.parse import ParsedQuestion, parse_question

__all__ = ["Answer", "Evidence", "ParsedQuestion", "QAContext", "answer", "parse_question"]
