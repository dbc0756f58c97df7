"""Write paths and queries; views call these, never the database directly."""
