"""Tests of the teacher coach: scripts, engine, dates, extractor, diagrams and dialogue cases."""
