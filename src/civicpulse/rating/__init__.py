"""Ratings: methodologies, ranking into penalty points, stored runs and explanations."""
