
// ----------------------------------------------------------------------------
// This file should only be included into 'props.h'

// ----------------------------------------------------------------------------
// Custom properties (not defined by the protocol)

// --- simple geofence/geozone property definition
//#define PROP_CUST_GEOFENCE_1            0x0511
//#define PROP_CUST_GEOFENCE_2            0x0521
//#define PROP_CUST_GEOFENCE_3            0x0531
//#define PROP_CUST_GEOFENCE_4            0x0541

// ----------------------------------------------------------------------------
