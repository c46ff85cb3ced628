"""PostNL ShippingStatus API v2 vocabulary → Ship24 (plain tables, no logic).

Source: PostNL's Track & Trace code tables, ``content/reference data/TTStatusCodes.md`` of
``maarten-brijker-postnl/apimatic-testbuild-v1`` @ 17dc7a8e (the documentation build of PostNL's
ShippingStatus API), converted to ``shared/reference/apis/specs/postnl/tt-status-codes.csv``
(24 status codes) and ``tt-event-codes.csv`` (288 event rows, one code listed twice).

Every event code (``Event[].Code``) is tied to a status option; ``EVENT_CODES`` keeps that option
and gives the Ship24 code, read from the option and, where the option is wider than the event
(option 08 "not delivered" holds refusals, returns and missed deliveries alike), from the
event's own English text (quoted in the comment). ``None`` marks a movement or a notice that
is not a status change (sorting, "on its way", payment requests). ``STATUS_CODES`` maps the
shipment's current ``Status.StatusCode`` (used only when an answer has no events). Unknown
codes are read by the status normaliser from their description.

Longer than 400 lines on purpose: it is data, one row per published event code (288), each
with its English text beside it so that a reviewer can check the mapping row by row.
"""

from __future__ import annotations

from typing import Final

#: ``Status.StatusCode`` → Ship24 (phase in the comment: 1 collection, 2 sorting,
#: 3 distribution, 4 delivered). 12 "at pick-up location" is phase 4 but not a delivery.
STATUS_CODES: Final[dict[str, str | None]] = {
    "1": "data_order_created",  # 1 Shipment pre-alerted
    "2": "transit_handover",  # 1 Shipment accepted
    "3": "transit_handover",  # 1 Shipment collected
    "4": "delivery_exception",  # 1 Shipment not collected
    "13": "data_order_created",  # 1 Pre-alerted shipment (not yet accepted)
    "14": "data_order_cancelled",  # 1 Pre-alerted, definitively not accepted
    "15": "exception_lost",  # 1 Missing collection
    "18": "exception_lost",  # 1 Definitely missing
    "19": "data_order_cancelled",  # 1 Shipment rejected
    "5": None,  # 2 Shipment sorted
    "6": "delivery_exception",  # 2 Shipment not sorted
    "16": "exception_lost",  # 2 Missing in sorting
    "21": None,  # 2 Shipment in storage
    "7": "delivery_out_for_delivery",  # 3 Shipment out for delivery
    "8": "delivery_attempted",  # 3 Shipment not delivered
    "9": "customs_received",  # 3 Shipment at customs
    "17": "exception_lost",  # 3 Missing in distribution
    "20": "customs_received",  # 3 Shipment in clearance process
    "11": "delivery_delivered",  # 4 Shipment delivered
    "12": "delivery_available_for_pickup",  # 4 Shipment at pick-up location
    "22": "delivery_delivered",  # 4 Shipment picked up from post office
    "23": "transit_handover",  # 4 Parcel collected (pick-up order)
    "99": None,  # 99 Not applicable
}

#: ``Event[].Code`` → (status option, Ship24 code). Options 27, 28 and 31 appear only in the
#: event table (return undeliverable, return wrong delivery code, ready for transport abroad).
EVENT_TABLE: Final[dict[str, tuple[str, str | None]]] = {
    "A01": ("01", "data_order_created"),  # Shipment expected, but not yet arrived at PostNL
    "A10": ("01", "data_order_created"),  # Sender has generated return label
    "A71": ("01", "data_order_created"),  # Shipment registered
    "F01": ("01", "data_order_created"),  # Pick-up shipment will be collected
    "J93": ("01", "data_order_created"),  # Pre-alerted shipment partially not found
    "M03": ("01", "data_order_created"),  # Period of validity label expired
    "X80": ("01", "data_order_created"),  # Collection order received
    "X81": ("01", None),  # Return shipment received in country of destination
    "B01": ("02", "transit_handover"),  # Shipment received by PostNL
    "X40": ("02", "transit_handover"),  # Shipment received at PostNL outlet
    "B04": ("03", "transit_handover"),  # Shipment collected by PostNL
    "Z80": (
        "03",
        "transit_handover",
    ),  # Yes! Your shipment has been picked up at a collection point
    "D02": ("04", "delivery_exception"),  # Shipment not collected; incorrect address
    "D03": (
        "04",
        "delivery_exception",
    ),  # Collection shipment not collected, no one present at address
    "D04": ("04", "delivery_exception"),  # Shipment not collected; incorrect address
    "D05": ("04", "delivery_exception"),  # There was no shipment to collect
    "D06": (
        "04",
        "delivery_exception",
    ),  # Collection shipment not collected, shipment incorrectly/not
    "D07": (
        "04",
        "delivery_exception",
    ),  # Collection shipment not collected, shipment not properly pac
    "D09": ("04", "delivery_exception"),  # Collection shipment not collected, no answer
    "D40": ("04", "delivery_exception"),  # Collection shipment not collected
    "D41": ("04", "data_order_cancelled"),  # Pick-up order cancelled
    "H31": ("04", "data_order_cancelled"),  # Sender has cancelled the shipment order
    "X42": ("04", "delivery_exception"),  # Shipment refused at PostNL outlet, too large/too heavy
    "X43": (
        "04",
        "delivery_exception",
    ),  # Shipment refused at PostNL outlet, insufficient packaging
    "Y80": ("04", None),  # We missed you; we'll try again
    "Y81": ("04", None),  # Pick-up order unsuccessful, no new attempt
    "A08": ("05", None),  # Recipient's choice: deliver to neighbour
    "A09": ("05", None),  # Recipient's choice: deliver to pick-up location
    "A11": ("05", None),  # Recipient's choice: deliver to random neighbour
    "A12": ("05", None),  # Recipient's choice: deliver on a different day
    "A13": ("05", None),  # Recipient's choice: deliver on a different part of the day
    "A27": ("05", None),  # Shipment will be delivered to the parcel locker
    "A28": ("05", None),  # To be collected at PostNL outlet from 9:00am
    "A29": ("05", None),  # Shipment will be delivered in the evening to another address
    "A30": ("05", None),  # Shipment will be delivered to a different address
    "A31": ("05", None),  # Shipment will be delivered in the evening to a neighbour
    "A32": ("05", None),  # Shipment will be delivered in the evening on another day
    "A34": ("05", None),  # Delivery changed to a PostNL outlet
    "A35": ("05", None),  # Delivery changed to another day
    "A42": ("05", None),  # Delivery date of shipment changed
    "A43": ("05", None),  # E-mail with invitation for 2nd delivery attempt sent
    "A99": ("05", None),  # Shipment will be delivered to a PostNL outlet
    "J01": ("05", None),  # Shipment has been sorted
    "J06": ("05", None),  # Shipment sorted in sorting centre
    "J07": (
        "05",
        "delivery_exception",
    ),  # Closed: delivery postponed until the following working day
    "J09": ("05", "delivery_exception"),  # Sorry, delivery time has been updated
    "J10": ("05", None),  # Shipment has been sorted
    "J14": ("05", "delivery_exception"),  # Sorry, delivery time has been updated
    "J16": ("05", None),  # Delivery address inaccessible, new attempt to follow
    "J17": ("05", "delivery_exception"),  # Delivery postponed due to ‘closed' notification
    "J22": (
        "05",
        "delivery_exception",
    ),  # Delivery postponed because of incomplete multi-parcel shipme
    "J24": ("05", "delivery_exception"),  # Sorry, delivery time has been updated
    "J26": ("05", "delivery_exception"),  # Delivery postponed until the following working day
    "J27": ("05", None),  # Shipment sorted by the depot
    "J28": ("05", None),  # Due to size, shipment will be delivered by PostNL Extra@Home
    "J33": ("05", None),  # Recovery procedure for incorrect address
    "J36": ("05", "delivery_exception"),  # Sorry, delivery time has been updated
    "J61": ("05", None),  # Shipment has been sorted
    "J90": ("05", None),  # Shipment will be delivered on an indicated desired date
    "Q12": ("05", None),  # Shipment sent to country of destination
    "Q13": ("05", None),  # Parcel placed on transport
    "R01": ("05", None),  # Shipment has been sorted
    "R06": ("05", None),  # Shipment has been cancelled. Please contact the sender
    "X01": ("05", None),  # Good news! Your parcel has crossed the border
    "X02": ("05", None),  # Yes! Your shipment has arrived in the destination country
    "X07": ("05", None),  # Shipment sorted in country of destination
    "X08": ("05", None),  # Your parcel's at a sorting centre in the destination country
    "X11": ("05", None),  # Answer received with information for import declaration
    "X14": ("05", None),  # Shipment in sorting centre in country of destination
    "X17": ("05", None),  # Shipment weighed and weight determined at IMEC.
    "X20": ("05", "exception_return"),  # Return shipment received in distribution centre abroad
    "X21": ("05", "exception_return"),  # Return shipment received in distribution centre
    "X22": ("05", "exception_return"),  # International shipment returned
    "X50": ("05", None),  # Shipment in sorting centre
    "X51": ("05", None),  # Shipment has been sorted
    "X68": ("05", None),  # Parcel back in PostNL process
    "Y23": ("05", None),  # Address corrected, new delivery attempt to follow
    "Y24": ("05", None),  # Address corrected, new delivery attempt to follow
    "Y33": ("05", "delivery_exception"),  # Delivery postponed until the following working day
    "Y35": ("05", "delivery_exception"),  # Sorry, delivery time has been updated
    "Y60": ("05", "delivery_exception"),  # Sorry, delivery time has been updated
    "Y61": ("05", "delivery_exception"),  # Sorry, delivery time has been updated
    "Y62": ("05", "delivery_exception"),  # Sorry, delivery time has been updated
    "D08": ("06", "delivery_attempted"),  # We missed you; we'll try again
    "H10": ("06", "exception_return"),  # Return, content not permitted
    "K01": ("06", "delivery_exception"),  # Sorry, delivery time has been updated
    "K02": ("06", None),  # Recipient has moved. Shipment forwarded to new address
    "K03": ("06", None),  # Shipment forwarded to address chosen by addressee.
    "K30": ("06", "delivery_exception"),  # Shipment cannot be delivered
    "K92": ("06", "exception_discarded"),  # Shipment destroyed
    "V01": ("06", "delivery_exception"),  # Sorry, delivery time has been updated
    "V06": (
        "06",
        "delivery_exception",
    ),  # Your shipment has been delayed due to very high traffic. It
    "Y07": ("06", "delivery_exception"),  # Sorry, delivery time has been updated
    "H32": ("07", "delivery_exception"),  # Sorry, delivery time has been updated
    "H35": ("07", "exception_return"),  # Shipment is damaged, return to sender
    "J05": ("07", "delivery_out_for_delivery"),  # Driver is en route
    "J08": ("07", "delivery_attempted"),  # Delivery unsuccessful, we'll try again
    "J29": ("07", "delivery_attempted"),  # Shipment does not fit through letterbox, we'll try again
    "J39": ("07", "delivery_exception"),  # Delivery postponed until the following working day
    "J41": ("07", "delivery_exception"),  # Shipment not allowed in the parcel locker
    "J42": ("07", "delivery_exception"),  # Insufficient space in the parcel locker
    "J45": ("07", None),  # On liner service to distribution depot
    "J47": (
        "07",
        "delivery_attempted",
    ),  # Pickup window closed; shipment moved to PostNL pickup point
    "J48": ("07", "delivery_exception"),  # Parcel too large for delivery in the parcel locker
    "J55": ("07", "delivery_out_for_delivery"),  # Driver is en route to PostNL outlet
    "J94": ("07", "delivery_attempted"),  # Freight shipment not delivered; addressee absent
    "J95": ("07", "delivery_exception"),  # Postponed, scanned at depot
    "K14": ("07", "delivery_attempted"),  # We missed you; we'll try again
    "K15": (
        "07",
        "delivery_exception",
    ),  # Error during shipment delivery. More information to follow
    "K70": ("07", "delivery_attempted"),  # Delivery unsuccessful, shipment will go to PostNL outlet
    "Q15": ("07", None),  # Shipment is en route
    "S05": ("07", None),  # Shipment is en route
    "T02": ("07", "delivery_exception"),  # Sorry, delivery time has been updated
    "X04": ("07", "customs_cleared"),  # Customs in the destination country has approved your parcel
    "X06": ("07", None),  # Your shipment is on its way to the recipient
    "X19": ("07", None),  # Shipment sent to country of destination
    "X55": ("07", "delivery_out_for_delivery"),  # Driver is en route
    "Y05": ("07", "delivery_out_for_delivery"),  # Your shipment is on its way to the recipient
    "H01": ("08", "delivery_refused"),  # Refused at delivery; return shipment to sender
    "H02": ("08", "exception_return"),  # Incorrect address; return shipment to sender
    "H03": ("08", "exception_return"),  # Shipment not collected, return to sender
    "H04": ("08", "exception_return"),  # Shipment is damaged, return to sender
    "H05": ("08", "exception_return"),  # We missed you; shipment returned to sender
    "H07": ("08", "exception_return"),  # We missed you; shipment returned to sender
    "H08": ("08", "exception_return"),  # Incorrect delivery code or ID, return shipment to sender
    "H09": ("08", "exception_return"),  # Shipment incomplete, return to sender
    "H12": ("08", "exception_return"),  # Shipment returned to sender, addressee incorrect
    "H20": ("08", "exception_return"),  # Shipment returned to sender
    "H22": ("08", "exception_return"),  # Shipment returned on request of sender
    "H24": ("08", "delivery_attempted"),  # Returned by pick-up location on recipient's request
    "H34": ("08", "delivery_attempted"),  # Shipment not delivered
    "H36": ("08", "delivery_attempted"),  # Shipment not delivered; incorrect address
    "H38": ("08", "delivery_refused"),  # Refused at delivery; return shipment to sender
    "H51": ("08", "exception_return"),  # Shipment not delivered, no letterbox. Return to sender.
    "H52": ("08", "exception_return"),  # Shipment not delivered, does not fit. Return to sender.
    "J92": ("08", "delivery_exception"),  # Sorry, delivery time has been updated
    "K16": ("08", "delivery_attempted"),  # Shipment not delivered, address long term unreachable
    "K41": (
        "08",
        "delivery_exception",
    ),  # Cash on Delivery shipment not delivered, recipient cannot pa
    "K43": ("08", "exception_return"),  # Shipment will be returned
    "Y01": ("08", "delivery_attempted"),  # Shipment not delivered; incorrect address
    "Y02": ("08", "delivery_attempted"),  # We missed you; shipment not delivered
    "Y03": ("08", "delivery_refused"),  # Shipment refused by addressee
    "Y04": ("08", "delivery_exception"),  # Shipment damaged
    "Y08": ("08", "delivery_exception"),  # Sorry, delivery time has been updated
    "Y09": ("08", "delivery_exception"),  # Contact addressee due to incorrect delivery address
    "Y10": ("08", "delivery_attempted"),  # We missed you; we'll try again
    "Y11": ("08", "delivery_exception"),  # Shipment damaged, attempt made to contact recipient
    "Y12": ("08", "delivery_exception"),  # Address incorrect, PostNL will contact sender
    "Y13": ("08", "delivery_refused"),  # Shipment refused, PostNL contacting sender
    "Y14": ("08", "delivery_exception"),  # Shipment damaged
    "Y15": ("08", "delivery_exception"),  # Shipment not delivered, sender contacted
    "Y16": ("08", "exception_return"),  # Address incorrect, return shipment to sender
    "Y17": ("08", "delivery_attempted"),  # Shipment not delivered; incorrect address
    "Y18": ("08", "exception_return"),  # Shipment is damaged, return shipment to sender
    "Y19": (
        "08",
        "exception_return",
    ),  # Shipment contains prohibited item, return shipment to sender
    "Y20": ("08", "exception_return"),  # Shipment not collected, return to sender
    "Y21": ("08", "exception_return"),  # Shipment returned to sender
    "Y22": ("08", "delivery_attempted"),  # Shipment not delivered, addressee relocated
    "Y30": ("08", "delivery_attempted"),  # Shipment not delivered due to incorrect postcode
    "Y31": ("08", "delivery_attempted"),  # Shipment not delivered, missing postcode
    "Y32": ("08", "delivery_attempted"),  # Shipment not delivered, address unknown
    "Y36": ("08", "delivery_exception"),  # Shipment not delivered: recipient identification missing
    "Y38": (
        "08",
        "delivery_exception",
    ),  # Shipment not delivered: parcel sent to depot in destination
    "Y39": ("08", "delivery_exception"),  # Contact recipient to arrange an appointment.
    "Y40": ("08", "exception_return"),  # We missed you; shipment returned to sender
    "Y41": ("08", "delivery_exception"),  # Shipment not delivered. Location access code is missing
    "Y42": ("08", "delivery_attempted"),  # Shipment not delivered, addressee unavailable
    "Y43": ("08", "delivery_exception"),  # Shipment delayed as addressee location is closed
    "Y44": ("08", "delivery_refused"),  # Shipment refused by recipient due to damage.
    "Y50": ("08", "delivery_refused"),  # Shipment refused, incomplete
    "Y71": ("08", "exception_lost"),  # Shipment missing
    "J59": ("09", "delivery_out_for_delivery"),  # Parcel will be delivered to you today by courier
    "X30": (
        "09",
        "delivery_exception",
    ),  # Shipment delayed in destination country due to additional in
    "X60": ("09", "customs_received"),  # Import declaration submitted by PostNL
    "X61": ("09", "customs_cleared"),  # Import declaration completed successfully
    "X62": ("09", "customs_received"),  # Additional declaration has been submitted
    "X63": (
        "09",
        "delivery_exception",
    ),  # Shipment delayed due to sample check at customs clearance
    "X64": (
        "09",
        "delivery_exception",
    ),  # Shipment delayed due to sample check at customs clearance
    "X65": ("09", "customs_cleared"),  # Additional customs declaration completed successfully
    "X66": ("09", "customs_exception"),  # Shipment declaration process has been stopped
    "Y25": (
        "09",
        "customs_received",
    ),  # The shipment is with the customs authorities in the destinat
    "Y29": (
        "09",
        "exception_discarded",
    ),  # The shipment has been destroyed on behalf of customs in the
    "I01": ("11", "delivery_delivered"),  # Shipment delivered
    "I03": ("11", "delivery_delivered"),  # Shipment delivered
    "I05": ("11", "delivery_delivered"),  # Shipment in letterbox
    "I06": ("11", None),  # Shipment sorted, will be transferred to addressee
    "I07": ("11", None),  # Return shipment sorted, will be transferred to sender
    "I09": ("11", "delivery_delivered"),  # Shipment delivered in personal parcel locker
    "I10": ("11", "delivery_delivered"),  # Shipment delivered to neighbour
    "I11": ("11", "delivery_delivered"),  # Shipment in letterbox
    "I12": ("11", "delivery_delivered"),  # Shipment delivered to indicated location
    "I22": ("11", "delivery_delivered"),  # Shipment collected at PostNL outlet
    "I23": ("11", "delivery_delivered"),  # Shipment has been handed over to recipient
    "J23": (
        "11",
        "delivery_available_for_pickup",
    ),  # Shipment can be collected at the parcel locker
    "J63": ("11", "delivery_delivered"),  # Return shipment delivered
    "J91": ("11", "delivery_delivered"),  # Partially-defective shipment delivered
    "K91": (
        "11",
        "exception_return",
    ),  # In storage because of closed return address – coronavirus me
    "X24": ("11", "exception_return"),  # Shipment returned to business PO Box holder abroad
    "Y26": ("11", "delivery_available_for_pickup"),  # Shipment to be collected at PO Box
    "Z01": ("11", "delivery_delivered"),  # Yes! Your shipment has been delivered to the recipient
    "Z02": ("11", "delivery_delivered"),  # Yes! Your shipment has been delivered to the recipient
    "Z03": ("11", "delivery_delivered"),  # Yes! Your shipment has been delivered to the recipient
    "Z04": ("11", "delivery_delivered"),  # Yes! Your shipment has been delivered to the recipient
    "Z05": (
        "11",
        "delivery_delivered",
    ),  # Parcel was delivered to neighbours in destination country
    "Z06": (
        "11",
        "delivery_delivered",
    ),  # Yes! Your shipment has been picked up at a collection point
    "Z08": ("11", "delivery_delivered"),  # Yes! Your shipment has been delivered to the recipient
    "Z09": (
        "11",
        "delivery_delivered",
    ),  # Your parcel has been delivered to recipient's safe location
    "I08": ("12", "delivery_available_for_pickup"),  # Shipment available at PostNL outlet
    "J02": ("12", "delivery_available_for_pickup"),  # Shipment to be collected at PostNL outlet
    "J12": ("12", "delivery_available_for_pickup"),  # Shipment to be collected at PostNL outlet
    # J23 is listed twice (status options 11 and 12); the first is kept.
    "J52": ("12", "delivery_available_for_pickup"),  # Shipment to be collected at PO Box location
    "X05": ("12", "delivery_available_for_pickup"),  # Shipment to be collected at pick-up location
    "A20": ("13", None),  # Request for payment of shipment costs sent
    "A21": ("13", None),  # Payment for shipment costs received
    "A22": ("13", None),  # Request for payment refused
    "Q02": ("13", None),  # Transaction cancelled at PostNL outlet
    "X03": (
        "13",
        "customs_received",
    ),  # Customs in the destination country is checking your shipment
    "M01": ("14", "data_order_cancelled"),  # Shipment not physically presented to PostNL
    "G03": ("15", "delivery_exception"),  # Sorry, delivery time has been updated
    "G01": ("16", "delivery_exception"),  # Sorry, delivery time has been updated
    "G02": ("16", "delivery_exception"),  # Sorry, delivery time has been updated
    "G05": ("16", "delivery_exception"),  # Sorry, delivery time has been updated
    "H23": (
        "17",
        "delivery_exception",
    ),  # Cancelled by PostNL, no delivery appointment could be made.
    "K90": ("17", None),  # Status as yet unknown. Try again later.
    "F03": (
        "19",
        "data_order_cancelled",
    ),  # Shipment not processed because of missing shipment details
    "F04": (
        "19",
        "data_order_cancelled",
    ),  # Shipment not processed because of missing shipment details
    "F05": (
        "19",
        "data_order_cancelled",
    ),  # Shipment will not be processed. Collection contract missing
    "F06": (
        "19",
        "data_order_cancelled",
    ),  # Shipment will not be processed. Collection address post code
    "F07": (
        "19",
        "data_order_cancelled",
    ),  # Shipment will not be processed. Delivery address post code u
    "F08": (
        "19",
        "data_order_cancelled",
    ),  # Shipment not processed. Collection date is in the past.
    "F10": (
        "19",
        "data_order_cancelled",
    ),  # Shipment will not be processed. Collection date is not a wor
    "A76": ("20", "destination_arrival"),  # Shipment arrived in the Netherlands
    "X10": (
        "20",
        "customs_exception",
    ),  # Parcel details missing. You will receive an information requ
    "X67": ("20", "customs_exception"),  # Awaiting payment of import costs
    "V02": ("21", "delivery_exception"),  # Sorry, delivery time has been updated
    "V03": ("21", "delivery_exception"),  # Sorry, delivery time has been updated
    "V04": ("21", "delivery_exception"),  # Delivery delayed due to late delivery to PostNL
    "V11": ("21", "delivery_exception"),  # Sorry, delivery time has been updated
    "V12": ("21", None),  # Received by PostNL
    "V13": ("21", None),  # Received by PostNL
    "V21": ("21", "delivery_exception"),  # Sorry, delivery time has been updated
    "V22": ("21", None),  # Shipment is at PostNL
    "V23": ("21", None),  # Received by PostNL
    "V31": ("21", "delivery_exception"),  # Received by PostNL, delayed
    "V50": ("21", None),  # Received by PostNL
    "I02": ("22", "delivery_delivered"),  # Shipment collected at PostNL outlet
    "C01": ("23", "transit_handover"),  # Shipment collected by PostNL
    "H16": ("27", "exception_return"),  # Shipment not delivered, address long unavailable. Return
    "H25": ("27", "exception_return"),  # Shipment not delivered, location long term unreachable
    "Y37": ("28", "exception_return"),  # Shipment not delivered: contact local deliverer
    "A72": ("31", None),  # Shipment is ready for transport to the Netherlands
    "A74": ("31", None),  # Shipment received by partner in country of shipment
    "A75": ("31", None),  # Shipment is en route to the Netherlands
    "X15": ("31", None),  # Shipment sorted at IMEC in destination country.
    "A41": ("99", None),  # Extra@Home Customer Service has made contact
    "A46": ("99", "exception_return"),  # Recipient request for pick-up location to return shipment
    "A73": ("99", None),  # Shipment has been collected by partner
    "A94": ("99", None),  # Delivery changed by customer
    "B06": ("99", None),  # Shipment accepted by PostNL IMEC.
    "C02": ("99", None),  # Scanned at PostNL service point
    "H15": ("99", "exception_return"),  # Shipment too large or too heavy, return to sender
    "H17": ("99", "exception_return"),  # Value exceeds maximum customs value. Return to sender.
    "H18": ("99", None),  # Delivery failed, package goes back to sender
    "H30": ("99", None),  # Sender has cancelled the shipment order
    "J56": ("99", None),  # We are en route to pickup address
    "J80": ("99", None),  # No delivery scan for this shipment yet
    "K25": ("99", "delivery_exception"),  # Shipment delayed, location unreachable for processing
    "K71": ("99", None),  # We missed you, shipment sent to PostNL retail point
    "P20": ("99", None),  # Appointed place is not safe, prone to theft
    "P21": ("99", None),  # Appointed place is visible form the street, open area
    "P22": ("99", None),  # Appointed place is wet, not covered
    "P23": ("99", None),  # Appointed place is not accessible/available
    "P24": ("99", None),  # Appointed place is not sufficient, package dimensions too la
    "Q14": ("99", None),  # Shipment removed from transport for inspection
    "Q16": ("99", None),  # Package in depot, goes enroute to country of destination
    "Q17": ("99", None),  # Your parcel is ready for shipment to Europe
    "Q18": ("99", None),  # Your parcel is ready for shipment to The Netherlands
    "Q19": ("99", None),  # Shipment still in transit
    "X16": ("99", None),  # Shipment pre-alerted by PostNL and sorted at IMEC.
    "X52": ("99", None),  # Your parcel is awaiting delivery in the destination country
    "Y45": ("99", None),  # Parcel permanently removed from process due to prohibited co
    "Y46": ("99", "delivery_exception"),  # Parcel exceeds customs value, transport is postponed
    "Y47": (
        "99",
        "exception_return",
    ),  # Return to sender because of a missing/incorrect export form
    "Y48": (
        "99",
        "exception_return",
    ),  # Parcel is undeliverable: incorrect export form and missing r
    "Y64": ("99", None),  # Sorry, delay due to import controls in destination country
    "Y65": (
        "99",
        "delivery_exception",
    ),  # Sorry, shipment delayed due to extreme weather conditions
    "Y66": ("99", "delivery_exception"),  # Sorry, your shipment has been delayed due to IT issues
}

#: ``Event[].Code`` → Ship24 status code (None: kept as a plain scan).
EVENT_CODES: Final[dict[str, str | None]] = {code: row[1] for code, row in EVENT_TABLE.items()}

#: ``Warnings[].Code`` that says the barcode is unknown (HTTP 200, ``CompleteStatus: {}``).
NOT_FOUND_WARNINGS: Final = frozenset({"2"})
