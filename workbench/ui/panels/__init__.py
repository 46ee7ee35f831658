"""One panel per lab of the book; each renders core results and submits jobs."""
