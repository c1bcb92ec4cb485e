"""Views of the leader's data-protection pages (filled in by the features of #13)."""
