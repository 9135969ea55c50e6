"""The policy's fixed vocabulary: components, maturity scale, rights areas."""
