"""One module per dashboard page: its figures and its (thin) view."""
