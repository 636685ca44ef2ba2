"""Vietnamese administrative language: document numbers, dates, provinces, law names,
agency gazetteer. Pure functions and data tables; no document model."""
