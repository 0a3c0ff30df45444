/// Module marker.
