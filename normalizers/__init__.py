"""Text, numbers, units and target phrases: from Vietnamese as written to typed values."""
