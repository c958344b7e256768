"""The Textual practice app. Imported only by ``interviewer practice`` (Textual is slow to import)."""
