import { getTreatments, notTreatmentMethod, postTreatments, putTreatments } from "../treatments/handlers";

export { getTreatments as GET, postTreatments as POST, putTreatments as PUT, notTreatmentMethod as PATCH, notTreatmentMethod as DELETE };
