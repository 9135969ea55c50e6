"""Double coding: agreement between two analysts (kappa), consensus per response."""
