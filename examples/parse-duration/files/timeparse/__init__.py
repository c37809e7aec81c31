"""Human-friendly duration parsing."""
